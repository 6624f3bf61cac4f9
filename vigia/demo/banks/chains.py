"""Chain messages that circulate in neighbourhood groups and get forwarded.

A chain is forwarded to the lines by dozens of people with tiny edits. Some
are scams (``suplantacion``), some report a conditioning or a fee doing the
rounds, some are harmless rumours with no fraud signal; warnings against a
scam also count as ``suplantacion`` because they show the scam is out
there. Each entry is ``(fraud labels, topic, text)``; chain texts keep the
sender's own capitals and emojis, so no writer's noise is applied to them.
"""

from vigia.demo.banks import lines

# fmt: off
_TEXTS = lines("""
🏠📢 ATENCION!! CONAVI esta dando apoyos de hasta 150 mil pesos para construir tu
  casa. Solo manda foto de tu INE y CURP al {tel}. Ultimos dias!! Compartelo 🙏
AVISO IMPORTANTE: Sorteo de Viviendas del Bienestar 2026. Si te llego este mensaje
  fuiste preseleccionado. Deposita {monto} a la cuenta {cuenta} para asegurar tu lugar.
Se informa a la poblacion que el registro para el programa de vivienda cierra este
  viernes, no se queden sin su apoyo, pasenlo a sus contactos
Dicen que a los que no vayan a votar el domingo les van a quitar el apoyo de
  vivienda, pasen la voz 🗳️
⚠️OJO⚠️ estan llamando del numero {tel} diciendo que son de CONAVI y piden datos
  bancarios. NO DEN INFORMACION. Conavi no pide depositos.
📌 Nuevo programa Vivienda para Todos: apoyo de {apoyo} sin requisitos. Registrate
  en la pagina {pagina} antes de que se acaben los lugares
Ya empezaron a depositar la segunda ministracion!! chequen sus tarjetas 💳
Comunicado: los beneficiarios deberan aportar una cuota de {monto} para la entrega de
  material en su comunidad. Atte. el Comite
Informan que CONAVI va a dar tarjetas de 50 mil a madres solteras, solo hay que
  inscribirse con la señora de la tienda y llevar {monto} para el formato
URGENTE‼️ Conavi cancelara los apoyos de quienes no actualicen sus datos en el link
  de {pagina} antes del dia 30
CASAS DEL BIENESTAR te regalan una casa si compartes este mensaje a 10 grupos 🏡🏡
  Yo ya lo hice y me llego la confirmacion
Si te llega un mensaje de que ganaste una casa es FALSO. Conavi no hace sorteos ni
  pide depositos. Comparte para que nadie caiga 🙏
Atencion colonos: la reunion para el programa de vivienda es el sabado en la
  cancha, llevar copia de INE, CURP y comprobante. Es gratis.
Para quedar en el programa de vivienda hay que afiliarse y llevar copia de la
  credencial a la casa de la lider. Los que no, se quedan fuera.
💰 El gobierno va a depositar {apoyo} a cada familia registrada en el censo, solo
  confirma tus datos con el licenciado {nombre} al {tel}
""")

_LABELS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("suplantacion",), "registro"),
    (("suplantacion",), "estatus"),
    ((), "registro"),
    (("condicionamiento",), "pago"),
    (("suplantacion",), "pago"),
    (("suplantacion",), "registro"),
    ((), "pago"),
    (("cobro_indebido",), "obra"),
    (("cobro_indebido", "suplantacion"), "registro"),
    (("suplantacion",), "estatus"),
    (("suplantacion",), "otro"),
    (("suplantacion",), "registro"),
    ((), "registro"),
    (("condicionamiento",), "registro"),
    (("suplantacion",), "pago"),
)
# fmt: on

CHAINS: tuple[tuple[tuple[str, ...], str, str], ...] = tuple(
    (labels, topic, text) for (labels, topic), text in zip(_LABELS, _TEXTS, strict=True)
)
