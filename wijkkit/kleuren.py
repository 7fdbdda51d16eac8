"""The colours of every page, in a module without imports: a visitor's kernel uses them without loading
Altair."""

# One meaning per colour on every page (colour-blind safe, and always with words beside it):
# figures judged against a reference run blue (favourable) to red (unfavourable), ColorBrewer RdBu;
# stories are green (kracht) or amber (knelpunt); the gebied in focus is black, a reference grey.
GUNSTIG = {2: "#2166AC", 1: "#92C5DE"}
ONGUNSTIG = {-1: "#F4A582", -2: "#B2182B"}
ROND = "#F0F0F0"  # "rond gemiddeld": near white, never the grey of "geen gegevens"
GEEN_GEGEVENS = "#9E9E9E"
NEUTRAAL = "#6F6F6F"  # indicators that do not judge (diamond)
# a map of figures without a verdict (population, age): one hue, light = low, dark = high (ColorBrewer Purples)
NEUTRAAL_SCHAAL = ("#EFEDF5", "#9E9AC8", "#54278F")
KRACHT = "#1B9E77"
KNELPUNT = "#E6AB02"
VALENTIE_KLEUR = {"kracht": KRACHT, "knelpunt": KNELPUNT, "neutraal": "#B0B0B0"}
GEBIED = "#000000"
REFERENTIE = "#8C8C8C"
