"""Kijken: the straatschouw beside tellen (figures) and vertellen (stories).

Walkers score the public space of a buurt on the CROW *beeldkwaliteit* scale (A+ to D) on a phone, with a form
wijkkit writes (:mod:`formulier`); what ODK Central, KoBoToolbox or a plain spreadsheet gives back is read and
checked (:mod:`export` reads CSV, XLSX, ODK Central zips with repeats and KoBoToolbox GeoJSON; :mod:`lezen` checks
every row; a team's own form is mapped once in ``wijkkit.toml`` ``[schouw]``, :mod:`koppeling`, which
:mod:`voorstel` proposes), placed in a buurt, pseudonymised and stored (:mod:`importeren`), and counted into
the same tidy indicator table as the CBS figures (:mod:`indicatoren`), so the profile, the map and the kenniskring
page use it like any other figure.
"""
