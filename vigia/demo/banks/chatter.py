"""The small talk around a message: greetings, openers, closings, follow-ups.

These lines carry no topic of their own. They are what makes a WhatsApp
conversation look like one: "hola" / "buenas tardes" / "quiero denunciar" /
the story / a photo / "gracias". Details (``IDENTIFYING``, ``IMPACT``) are
sentences a complainant adds to a fraud story; they raise its priority but
do not change its labels. Gender notation in ``CONTEXT`` refers to the
writer, in ``IDENTIFYING`` to the person reported.
"""

from vigia.demo.banks import lines, phrases

# fmt: off
GREETINGS = lines("""
hola
hola buenas tardes
buenas tardes
buenos dias
buen dia
buenas noches
Buenas tardes.
hola buen dia
holaa
buenas
hola q tal
Buenas tardes, disculpe la molestia
Buen día, espero se encuentren bien.
hola buenas
ola
saludos
Hola, buenas tardes. ¿Me pueden ayudar?
hola alguien q me ayude
oigan
disculpe
hola, una pregunta
buenas tardes, una consulta
hola oiga
buenas noches disculpe la hora
hola conavi
Muy buenos días.
que tal buenas tardes
hola soy nueva aqui
buenas tardes señorita
hola me pueden dar informes
""")

DENUNCIA_OPENERS = lines("""
quiero hacer una denuncia
quiero denunciar
vengo a denunciar a un gestor
es aqui para denunciar?
quiero reportar algo que esta pasando en mi comunidad
Deseo presentar una denuncia.
tengo una queja muy seria
necesito denunciar un fraude
buenas tardes quiero poner una denuncia anonima
me quiero quejar de algo que nos estan haciendo
quiero denunciar pero no quiero que sepan que fui yo
aqui se denuncia lo de vivienda?
oigan quiero reportar un abuso
Por medio del presente me permito hacer de su conocimiento la siguiente situación.
vengo de parte de varios vecinos a denunciar
les escribo porque ya no sabemos a quien acudir
esto tiene que saberlo alguien de conavi
tengo pruebas de algo que esta pasando
quiero denunciar a la constructora
necesito ayuda, nos estan robando
""")

CLOSINGS = lines("""
gracias
muchas gracias
espero su respuesta
gracias de antemano
quedo al pendiente
Agradezco su atención.
saludos
bendiciones
espero me puedan ayudar
Quedo atento a sus comentarios.
Sin más por el momento, reciban un cordial saludo.
gracias por su tiempo
""")

# How a complaint ends: fear of reprisals, despair, a plea to act.
COMPLAINT_CLOSINGS = lines("""
ojala hagan algo
no pongan mi nombre porfa tengo miedo
ayudenos porfavor
gracias por leer
ojala si investiguen
porfa no digan que fui yo
es todo, gracias
ustedes diran que hacemos
estamos desesperados
Solicito se mantenga la confidencialidad de mis datos.
que no quede impune
""")

THANKS = lines("""
gracias
muchas gracias por la info
ok gracias
ah ok
perfecto gracias
ok
va
gracias que Dios los bendiga
enterado
muy amable
gracias señorita
ok ahi voy a checar
ya entendi gracias
Muchas gracias por su pronta respuesta.
sale gracias
""")

FOLLOW_UPS = lines("""
hola, sigo esperando respuesta
ya pasaron dias y nada
alguien me puede dar respuesta de lo que les escribi?
buenas, les escribi la semana pasada y no me han contestado
hola de nuevo, tienen alguna noticia?
sigo sin saber nada
Buenos días, ¿hay alguna actualización sobre mi caso?
ya me contestaron? no me llego nada
otra vez yo, perdon, pero nadie me ha dicho nada
que paso con mi reporte?
ya lo vieron?
hola? alguien?
""")

RESEND_INTROS = lines("""
les vuelvo a mandar mi denuncia porque nadie me contesto
otra vez les escribo lo mismo
reenvio lo que mande la otra vez
ya habia escrito esto pero lo mando de nuevo
les repito mi queja
Reitero mi denuncia enviada anteriormente.
a ver si ahora si me hacen caso
""")

REPLIES_TO_AGENCY = lines("""
y donde queda eso?
ok pero ya hice eso y nada
y cuanto tarda?
ya entre a la pagina y no aparece nada
no entiendo, me explica?
y si no tengo el folio?
ok entonces espero
gracias, y a que hora abren?
pero a mi nadie me ha hablado
y eso cuando seria?
ya fui y me dijeron que les preguntara a ustedes
ok, y que papeles llevo?
""")

CHAIN_COMMENTS = lines("""
me llego esto, es verdad?
esto es cierto?
lo mandaron al grupo de la colonia
ojo con esto, ya hay varios que depositaron
les reenvio para que investiguen
mi vecina ya mando sus datos a ese numero
esto lo estan pasando en todos los grupos
es de ustedes este mensaje?
me lo mando mi cuñada, es real?
para que lo chequen
""")

# Photo captions, by what the photo shows.
CAPTIONS = {
    "papers": lines("""
mi folio
mi INE
el comprobante
la tarjeta
esta es la lista que pegaron
asi me aparece en la pagina
la hoja que me dieron en el modulo
mi solicitud
"""),
    "works": lines("""
asi quedo la pared
el material que dejaron
asi esta la obra
mire como esta
el techo por dentro
asi nos dejaron el baño
las grietas
"""),
    "screens": lines("""
captura del mensaje que me llego
esta es la pagina
mire lo que me mandaron
el numero que me marco
asi sale en el face
"""),
    "evidence": lines("""
este es el recibo que nos dieron
aqui esta la foto
captura del mensaje que me llego
la conversacion con el señor
el papel que nos hicieron firmar
esta es la pagina
aqui se ve cuando le estamos dando el dinero
la lista de los que pagaron
"""),
}

FILENAMES = lines("""
recibo.pdf
comprobante_pago.pdf
INE.pdf
CURP.pdf
solicitud.pdf
acta_entrega.pdf
escrituras.pdf
constancia_ejidal.pdf
denuncia.pdf
fotos_obra.pdf
""")

CONTEXT = phrases("""
me registre en {mes}
soy de {municipio}
mi folio es {folio}
vivo en {municipio}, {estado}
soy {adulto|adulta} mayor
ya tengo todos mis papeles
es para mi mama
somos 5 en la casa
Soy de {municipio}, {estado}.
ya fui al modulo y no me supieron decir
""")

IDENTIFYING = phrases("""
{el señor|la señora} se llama {nombre}
su numero es {tel}
esto paso en {municipio}, {estado}
el telefono de {el|ella} es {tel}, ahi nos habla
le depositamos a la cuenta {cuenta}
{el|ella} dice que se llama {nombre}
aqui en {municipio} todos {lo|la} conocen, es {nombre}
anda en una camioneta blanca y reparte tarjetas con el numero {tel}
El nombre de la persona es {nombre} y su teléfono {tel}.
""")

IMPACT = phrases("""
somos como 15 familias afectadas
a varios vecinos les paso lo mismo
nos amenazo con sacarnos de la lista si deciamos algo
tengo los recibos
tengo fotos y audios de cuando nos pidio el dinero
a mi mama tambien le cobraron
dice que tiene palancas y que nadie le hace nada
ya le dimos el dinero y ahora no contesta
somos gente humilde, ese dinero nos costo mucho juntarlo
son mas de 30 personas las que pagaron
tenemos miedo porque {el|ella} anda armado con gente
Cuento con documentos que acreditan lo anterior.
""")
# fmt: on

# Emojis a writer adds, by the mood of the message.
EMOJIS = {
    "neutral": ("🙏", "👍", "🏠", "🙂", "🙏🏻", "😊"),
    "pleading": ("🙏", "🙏🙏", "😔", "🥺", "🙏🏻", "😢"),
    "angry": ("😡", "🤬", "😤", "😠", "👎", "😡😡"),
    "sad": ("😢", "😭", "😔", "💔", "😞"),
    "happy": ("😊", "🙌", "❤️", "🥰", "👍", "😁"),
    "alarm": ("⚠️", "‼️", "🚨", "❗", "😱"),
}

# Emojis used as reactions to an agency message.
REACTIONS = ("👍", "🙏", "❤️", "👍🏻", "😊", "😮", "😢")
