"""The questions of a duiding and the roles of those present: shared by the page (standard library only) and the
store."""

ROLLEN = ("bewoner", "ondernemer", "professional", "jongere", "anders")
VELDEN = {"wat_zien_we": "Wat zien we?", "verklaring": "Wat verklaart dit volgens ons?",
          "wat_willen_we": "Wat willen we doen?"}
MAX_VELD = 4000  # characters per answer of a duiding: a few paragraphs, not a document
MAX_AANWEZIG = 500  # people present per role: a room, not a city
BEWAREN_PER_MINUUT = 6  # saves per page and minute (duidingen, priorities, summaries): a person, not a script
