"""The 19 municipalities of the Brussels-Capital Region with approximate 2022 populations (demo only)."""

from __future__ import annotations

# code: (French name, Dutch name, approximate total population, profile)
# profile: "affluent", "central" or "working" drives the demo's education/nationality/age mix.
MUNICIPALITIES: dict[str, tuple[str, str, int, str]] = {
    "anderlecht": ("Anderlecht", "Anderlecht", 121_000, "working"),
    "auderghem": ("Auderghem", "Oudergem", 34_500, "affluent"),
    "berchem": ("Berchem-Sainte-Agathe", "Sint-Agatha-Berchem", 25_500, "working"),
    "bruxelles": ("Bruxelles", "Brussel", 188_000, "central"),
    "etterbeek": ("Etterbeek", "Etterbeek", 48_000, "central"),
    "evere": ("Evere", "Evere", 43_000, "working"),
    "forest": ("Forest", "Vorst", 56_000, "working"),
    "ganshoren": ("Ganshoren", "Ganshoren", 25_000, "working"),
    "ixelles": ("Ixelles", "Elsene", 87_000, "central"),
    "jette": ("Jette", "Jette", 53_000, "working"),
    "koekelberg": ("Koekelberg", "Koekelberg", 22_000, "working"),
    "molenbeek": ("Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek", 97_000, "working"),
    "saint_gilles": ("Saint-Gilles", "Sint-Gillis", 50_000, "central"),
    "saint_josse": ("Saint-Josse-ten-Noode", "Sint-Joost-ten-Node", 27_000, "working"),
    "schaerbeek": ("Schaerbeek", "Schaarbeek", 133_000, "working"),
    "uccle": ("Uccle", "Ukkel", 85_000, "affluent"),
    "watermael": ("Watermael-Boitsfort", "Watermaal-Bosvoorde", 25_000, "affluent"),
    "woluwe_lambert": ("Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe", 58_000, "affluent"),
    "woluwe_pierre": ("Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe", 42_000, "affluent"),
}

SEXES = ("F", "M")
AGE_GROUPS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
EDUCATION = ("low", "medium", "high")
NATIONALITY = ("belgian", "eu", "non_eu")
