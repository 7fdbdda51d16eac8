"""The questions of a duiding and the roles of those present: shared by the page (standard library only) and the
store."""

ROLLEN = ("bewoner", "ondernemer", "professional", "jongere", "anders")
VELDEN = {"wat_zien_we": "Wat zien we?", "verklaring": "Wat verklaart dit volgens ons?",
          "wat_willen_we": "Wat willen we doen?"}
