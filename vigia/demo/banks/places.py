"""The 32 entidades federativas with area codes, municipalities and a centre.

Weights roughly follow where the housing programmes concentrate (the south
and south-east, large metro areas) so the traffic is not uniform across the
country. Area codes are real Mexican lada codes of each state; two-digit
codes (55, 33, 81, 56) take eight local digits, three-digit ones seven.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class State:
    """One entidad federativa as the demo uses it."""

    name: str
    weight: float
    area_codes: tuple[str, ...]
    municipalities: tuple[str, ...]
    centre: tuple[float, float]


# fmt: off
STATES: tuple[State, ...] = (
    State("Aguascalientes", 1.0, ("449", "465"),
          ("Aguascalientes", "Jesús María", "Calvillo", "Rincón de Romos"),
          (21.88, -102.29)),
    State("Baja California", 1.6, ("664", "686", "646"),
          ("Tijuana", "Mexicali", "Ensenada", "Tecate"), (32.53, -117.02)),
    State("Baja California Sur", 0.5, ("612", "624"),
          ("La Paz", "Los Cabos", "Comondú", "Mulegé"), (24.14, -110.31)),
    State("Campeche", 1.2, ("981", "938"),
          ("Campeche", "Carmen", "Champotón", "Escárcega", "Calkiní"), (19.85, -90.53)),
    State("Chiapas", 5.5, ("961", "962", "967", "919", "963"),
          ("Tuxtla Gutiérrez", "Tapachula", "San Cristóbal de las Casas",
           "Ocosingo", "Comitán de Domínguez", "Palenque", "Chamula"),
          (16.75, -93.12)),
    State("Chihuahua", 1.8, ("614", "656", "625"),
          ("Chihuahua", "Juárez", "Cuauhtémoc", "Delicias", "Parral"),
          (28.63, -106.09)),
    State("Ciudad de México", 4.0, ("55", "56"),
          ("Iztapalapa", "Gustavo A. Madero", "Tlalpan", "Xochimilco",
           "Álvaro Obregón", "Tláhuac", "Milpa Alta"), (19.43, -99.13)),
    State("Coahuila", 1.4, ("844", "871", "866"),
          ("Saltillo", "Torreón", "Monclova", "Piedras Negras", "San Pedro"),
          (25.42, -101.00)),
    State("Colima", 0.6, ("312", "314"),
          ("Colima", "Manzanillo", "Tecomán", "Villa de Álvarez"), (19.24, -103.72)),
    State("Durango", 1.1, ("618", "871", "674"),
          ("Durango", "Gómez Palacio", "Lerdo", "Santiago Papasquiaro"),
          (24.02, -104.66)),
    State("Estado de México", 5.0, ("55", "722", "595", "712"),
          ("Ecatepec", "Nezahualcóyotl", "Toluca", "Chalco", "Chimalhuacán",
           "Ixtapaluca", "San Felipe del Progreso"), (19.29, -99.65)),
    State("Guanajuato", 2.2, ("477", "462", "461", "473"),
          ("León", "Irapuato", "Celaya", "Guanajuato", "Dolores Hidalgo"),
          (21.02, -101.26)),
    State("Guerrero", 4.2, ("744", "747", "733", "757"),
          ("Acapulco de Juárez", "Chilpancingo de los Bravo", "Iguala",
           "Tlapa de Comonfort", "Ometepec", "Zihuatanejo"), (17.55, -99.50)),
    State("Hidalgo", 2.0, ("771", "775", "789"),
          ("Pachuca de Soto", "Tulancingo", "Huejutla de Reyes", "Ixmiquilpan",
           "Tula de Allende"), (20.10, -98.76)),
    State("Jalisco", 2.6, ("33", "341", "322", "378"),
          ("Guadalajara", "Zapopan", "Tlaquepaque", "Tonalá", "Puerto Vallarta",
           "Lagos de Moreno"), (20.67, -103.35)),
    State("Michoacán", 2.6, ("443", "452", "351", "753"),
          ("Morelia", "Uruapan", "Zamora", "Lázaro Cárdenas", "Pátzcuaro"),
          (19.70, -101.19)),
    State("Morelos", 1.4, ("777", "735", "734"),
          ("Cuernavaca", "Jiutepec", "Cuautla", "Temixco", "Yautepec"),
          (18.92, -99.23)),
    State("Nayarit", 0.8, ("311", "319", "323"),
          ("Tepic", "Bahía de Banderas", "Santiago Ixcuintla", "Compostela"),
          (21.50, -104.89)),
    State("Nuevo León", 1.8, ("81", "826", "821"),
          ("Monterrey", "Guadalupe", "Apodaca", "Escobedo", "Juárez", "Linares"),
          (25.67, -100.31)),
    State("Oaxaca", 4.8, ("951", "971", "953", "954", "287"),
          ("Oaxaca de Juárez", "Juchitán de Zaragoza", "Salina Cruz",
           "Huajuapan de León", "Tuxtepec", "Puerto Escondido", "Miahuatlán"),
          (17.07, -96.72)),
    State("Puebla", 3.6, ("222", "238", "231", "244"),
          ("Puebla", "Tehuacán", "San Martín Texmelucan", "Atlixco", "Teziutlán",
           "Zacatlán"), (19.04, -98.21)),
    State("Querétaro", 1.0, ("442", "427", "441"),
          ("Querétaro", "San Juan del Río", "Corregidora", "El Marqués", "Cadereyta"),
          (20.59, -100.39)),
    State("Quintana Roo", 1.2, ("998", "983", "984"),
          ("Benito Juárez", "Othón P. Blanco", "Solidaridad", "Felipe Carrillo Puerto"),
          (21.16, -86.85)),
    State("San Luis Potosí", 1.6, ("444", "481", "489"),
          ("San Luis Potosí", "Soledad de Graciano Sánchez", "Ciudad Valles",
           "Matehuala", "Tamazunchale"), (22.15, -100.98)),
    State("Sinaloa", 1.4, ("667", "669", "668"),
          ("Culiacán", "Mazatlán", "Ahome", "Guasave", "Navolato"), (24.80, -107.39)),
    State("Sonora", 1.3, ("662", "644", "631"),
          ("Hermosillo", "Cajeme", "Nogales", "San Luis Río Colorado", "Navojoa"),
          (29.07, -110.96)),
    State("Tabasco", 2.4, ("993", "913", "934"),
          ("Centro", "Cárdenas", "Comalcalco", "Huimanguillo", "Macuspana"),
          (17.99, -92.93)),
    State("Tamaulipas", 1.6, ("834", "899", "833", "868"),
          ("Reynosa", "Matamoros", "Nuevo Laredo", "Victoria", "Tampico"),
          (23.74, -99.15)),
    State("Tlaxcala", 1.0, ("246", "241"),
          ("Tlaxcala", "Apizaco", "Huamantla", "Chiautempan", "Calpulalpan"),
          (19.32, -98.24)),
    State("Veracruz", 5.0, ("229", "228", "921", "782", "271"),
          ("Veracruz", "Xalapa", "Coatzacoalcos", "Poza Rica", "Córdoba",
           "Papantla", "Minatitlán"), (19.17, -96.13)),
    State("Yucatán", 1.8, ("999", "997", "985"),
          ("Mérida", "Kanasín", "Valladolid", "Tizimín", "Progreso", "Ticul"),
          (20.97, -89.62)),
    State("Zacatecas", 1.2, ("492", "494", "458"),
          ("Zacatecas", "Fresnillo", "Guadalupe", "Jerez", "Sombrerete"),
          (22.77, -102.58)),
)
# fmt: on

STATE_NAMES: tuple[str, ...] = tuple(state.name for state in STATES)
STATE_WEIGHTS: tuple[float, ...] = tuple(state.weight for state in STATES)
