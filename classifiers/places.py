"""The 32 entidades federativas of Mexico and the ways citizens write them.

Each state maps its canonical name (with accents, as CONAVI reports it) to the
spellings people type. Aliases are written lowercase and without accents,
because :mod:`classifiers.extract` matches them on folded text. In an alias a
space stands for optional whitespace and a dot is optional, so "edo. de mex."
also covers "edo de mex", "Edo. de Méx" and "edomex", and "d.f." covers "DF".
Any state may also be preceded by "estado de" or "edo. de" ("Edo de Chiapas"):
that prefix is not listed here.

"mexico" alone is the country, not a state, so it is never an alias. Short
codes that are also everyday words are left out on purpose: "ver"
(Veracruz), "son" (Sonora), "sin" (Sinaloa), "col" (Colima, but also
"colonia"), "pue" (Puebla, but also "pues"), "mor", "tab", "nay".
"""

from __future__ import annotations

# fmt: off
STATES: dict[str, tuple[str, ...]] = {
    "Aguascalientes":      ("aguascalientes", "ags"),
    "Baja California":     ("baja california", "baja california norte", "b.c."),
    "Baja California Sur": ("baja california sur", "b.c.s."),
    "Campeche":            ("campeche",),
    "Chiapas":             ("chiapas", "chis"),
    "Chihuahua":           ("chihuahua", "chih"),
    "Ciudad de México":    ("ciudad de mexico", "cd. de mexico", "cd. de mex.",
                            "cdmx", "cd. mx.", "d.f.", "distrito federal"),
    "Coahuila":            ("coahuila", "coahuila de zaragoza", "coah"),
    "Colima":              ("colima",),
    "Durango":             ("durango", "dgo"),
    "Estado de México":    ("estado de mexico", "estado de mex.", "edo. de mexico",
                            "edo. de mex.", "edo. mex."),
    "Guanajuato":          ("guanajuato", "gto"),
    "Guerrero":            ("guerrero", "gro"),
    "Hidalgo":             ("hidalgo", "hgo"),
    "Jalisco":             ("jalisco", "jal"),
    "Michoacán":           ("michoacan", "michoacan de ocampo", "mich"),
    "Morelos":             ("morelos",),
    "Nayarit":             ("nayarit",),
    "Nuevo León":          ("nuevo leon", "n.l."),
    "Oaxaca":              ("oaxaca", "oax"),
    "Puebla":              ("puebla",),
    "Querétaro":           ("queretaro", "queretaro de arteaga", "qro"),
    "Quintana Roo":        ("quintana roo", "q. roo"),
    "San Luis Potosí":     ("san luis potosi", "s.l.p."),
    "Sinaloa":             ("sinaloa",),
    "Sonora":              ("sonora",),
    "Tabasco":             ("tabasco",),
    "Tamaulipas":          ("tamaulipas", "tamps"),
    "Tlaxcala":            ("tlaxcala", "tlax"),
    "Veracruz":            ("veracruz", "veracruz de ignacio de la llave"),
    "Yucatán":             ("yucatan", "yuc"),
    "Zacatecas":           ("zacatecas", "zac"),
}
# fmt: on

# States whose name is also a common surname or street name ("Juan Guerrero",
# "calle Hidalgo", "Union Hidalgo"): a match right after a capitalised word
# or a street word is taken for a name, not the state.
NAME_LIKE_STATES = frozenset({"Guerrero", "Hidalgo", "Morelos"})
