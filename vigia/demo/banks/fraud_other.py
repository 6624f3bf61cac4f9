"""Reports of impersonation, political conditioning and diverted works.

``suplantacion`` includes the worried question ("me dijeron que sali
sorteado, es verdad?"): it is evidence that a scam is circulating even when
the writer has not fallen for it. ``condicionamiento`` ties the benefit to
votes, rallies or party membership. ``desvio_obra`` is money or material of
a works that went somewhere else, including signatures for unfinished works.
Gender notation ``{el|la}`` refers to the person reported.
"""

from vigia.demo.banks import phrases

# fmt: off
SUPLANTACION = {
    "registro": phrases("""
me dijeron que sali sorteado es verdad?
me llamaron del {tel} diciendo que eran de conavi y que sali sorteada para una casa,
  que deposite {monto} para el tramite
hay una pagina en facebook que se llama {pagina} y pide INE, CURP y foto de la
  tarjeta, es de ustedes?
me mandaron un mensaje que deposite {monto} en oxxo a la cuenta {cuenta} pa apartar
  mi casa
es cierto que conavi esta regalando casas? me llego un link raro
{un señor|una señora} se presento como de conavi con gafete pero no traia nada
  oficial, pedia copias de la INE
me escribieron de un whats con el logo de conavi pidiendo mis datos del banco
  para el registro
Recibí una llamada de una persona que se identificó como {nombre} de Conavi y me
  solicitó mi CURP y número de cuenta. ¿Es legítimo?
en el grupo de la colonia pasaron un formulario de google pa registrarse al
  programa, pide foto de la credencial por los dos lados
oigan hay gente tocando casa por casa diciendo que son de conavi y toman fotos de
  la INE
la pagina {pagina} dice que es la oficial y cobra {monto} de inscripcion, es real?
me dijeron que gane un sorteo de vivienda del bienestar y que mande {monto} pa los
  gastos de escrituracion
hay un perfil de tiktok que dice que te registra al programa por whats al {tel}
Buenas tardes, ¿este número {tel} pertenece a Conavi? Me pidieron depositar para
  iniciar mi trámite.
{el señor|la señora} que vino dijo que era {licenciado|licenciada} de conavi y se
  llevo los papeles originales de mis escrituras
me llego un sms que dice CONAVI: su registro fue aceptado, confirme con su NIP
  bancario, eso lo mandan ustedes?
andan unos de chaleco guinda diciendo que son de vivienda y piden 200 por el
  formato
vi un anuncio que dice tramitamos tu apoyo de conavi en 24 horas, llama al {tel}
es verdad que conavi manda gente a las casas a pedir la escritura original?
""")
,
    "estatus": phrases("""
me hablaron del {tel} que ya salio mi folio y que deposite {monto} para recibir las
  llaves
me llego un mensaje que dice que quede seleccionada en el sorteo de casas y que
  llame al {tel}, es cierto?
una señora que dice que trabaja con ustedes me dijo que mi solicitud se cancela si
  no deposito {monto} a la cuenta {cuenta}
me escribieron por messenger de la pagina {pagina} que ya estoy en la lista y que
  pague la validacion
es verdad que hay que actualizar datos en un link para no perder el apoyo? me lo
  mandaron por whats
Una persona de nombre {nombre} me llamó para decirme que fui beneficiada y pidió
  mis datos bancarios.
me marcaron del {tel}, sabian mi nombre y mi folio, y me pidieron la clave que me
  llego por mensaje
que onda con los que dicen que sali sorteado? ya le depositaron a mi tia
me dijeron que sali sorteado en el programa de vivienda pero yo nunca me registre,
  como es eso?
""")
,
    "pago": phrases("""
me llamaron del banco diciendo que para recibir el apoyo de conavi les diera mi NIP
me dijeron que para liberar el subsidio tengo que pagar {monto} de impuestos a la
  cuenta {cuenta}
mi mama deposito {monto} en un oxxo porque le dijeron que era para que llegara su
  pago de vivienda
hay un numero {tel} que llama a los beneficiarios y les pide el codigo de la
  tarjeta
un muchacho que dice ser de conavi pide la tarjeta del apoyo pa activarla, ya
  se llevo la de 2 vecinas
Me contactaron por teléfono solicitando un pago de {monto} por concepto de
  comisión para dispersar mi subsidio.
recibi un correo de conavi con un archivo para cobrar el apoyo pero la direccion
  era rara
la cuenta {cuenta} esta a nombre de {un particular|una particular}, ahi nos dijeron
  que depositaramos pa el apoyo
me llego un mensaje que mi apoyo esta detenido y que pague {monto} pa liberarlo, es
  falso?
{un tal|una tal} {nombre} dice que es de conavi y que si le paso foto de la tarjeta
  por los dos lados me deposita mas rapido
""")
,
    "obra": phrases("""
vinieron unos diciendo que son supervisores de conavi y cobraron {monto} por la
  inspeccion
{un señor|una señora} con playera de conavi anda vendiendo paquetes de material del
  programa a {monto}
una constructora que dice estar autorizada por conavi pide {monto} de anticipo
  por whats al {tel}
llego un señor con tabla y chaleco diciendo que es verificador de conavi, nos cobro
  {monto} por no cancelar la obra
""")
,
}

CONDICIONAMIENTO = {
    "registro": phrases("""
nos dijeron que si no vamos al mitin nos quitan el apoyo de vivienda
la lider dice que tenemos que votar por su partido pa que nos toque la vivienda
el delegado pidio copia de nuestras credenciales pa afiliarnos al partido a cambio
  del apoyo
{el señor|la señora} {nombre} solo registra a los que estan afiliados con {el|ella}
para registrarte tienes que llevar la credencial del partido, eso no es legal verdad?
en la junta dijeron que el programa es del candidato y que hay que apoyarlo
nos registraron pero nos hicieron firmar una hoja de apoyo a la campaña
Denuncio que en la colonia se condiciona la inscripción al programa a la asistencia
  a eventos políticos.
la lider anota quien va a los eventos, y a los que no van no los pasa al censo
dicen que los del programa de vivienda tienen que ir a votar con foto de la boleta
{el representante|la representante} del partido fue quien hizo la lista del programa
  y solo metio a su gente
el comisario dice que solo los que votaron por su planilla entran al programa
nos pidieron la credencial de elector y una foto para el programa, pero luego vimos
  que era para afiliarnos
me dijeron que el programa es nomas pa los que apoyan al gobierno, que si critico
  me quitan
""")
,
    "estatus": phrases("""
nos obligan a ir a las marchas, si no vas te borran de la lista
me sacaron de la lista porque no fui al evento del domingo
la lider dice que si gana el otro partido se cancelan todas las solicitudes, que
  votemos bien
{el coordinador|la coordinadora} nos pidio fotos de la credencial para votar para
  mantenernos en el programa
a los que no fuimos a la asamblea del partido nos dijeron que nuestra solicitud se
  congelo
el del comite pasa lista en los mitines y esa es la lista del programa
Solicito se investigue a {nombre}, quien amenaza con dar de baja a quienes no
  asistan a sus reuniones.
nos advirtieron que si publicamos algo en contra del presidente municipal nos
  borran del programa
la señora del comite dice que a los que no vayan al informe del diputado los sacan
  del programa
{el lider|la lider} {nombre} tiene una lista de quien voto y quien no, y de ahi saca
  a los beneficiarios
""")
,
    "pago": phrases("""
el pago solo se lo dan a los que van a los mitines, a los demas les dicen que
  espere
{el señor|la señora} {nombre} entrega las tarjetas en los eventos del partido, si no
  vas no te la da
nos dijeron que el deposito llega despues de las elecciones si votamos bien
para recibir la tarjeta nos hicieron tomarnos foto con el candidato
el dia de la entrega de tarjetas era un evento de campaña, con lonas y todo
nos pidieron ir a pintar bardas del partido a cambio de que saliera el pago
me condicionaron la segunda ministracion a ir a votar a la consulta
la lider dice que ella decide a quien le llega el deposito y que hay que estar con
  ella en las elecciones
nos dijeron que si no ponemos la calcomania del partido en la casa no nos depositan
""")
,
    "obra": phrases("""
el material del programa lo reparten en la casa de campaña del candidato
la constructora pone lonas del partido en las casas del programa y si las quitas ya
  no siguen la obra
nos dijeron que hay que ir a las faenas del partido para que nos terminen la casa
a mi vecina le dejaron la obra parada porque su esposo es del otro partido
[+soborno] el supervisor dice que la obra se termina si apoyamos a su candidato y le
  damos {monto}
{el comisariado|la comisariada} solo deja entrar el material a los que van a sus
  juntas politicas
Informo que la entrega de materiales en {municipio} se realiza en un mitin
  político, con registro de asistencia.
piden que votemos por su gente para que vengan los albañiles
para que nos traigan el material hay que ir a las reuniones de los sabados con el
  candidato
""")
,
}

DESVIO_OBRA = {
    "obra": phrases("""
nos hicieron firmar que la obra estaba terminada y ni la empezaron
pagamos el material y nunca llego
la constructora cobro todo y dejo la casa a medias
el asistente tecnico cobro su servicio y nunca vino
se llevaron el cemento a otra obra, yo los vi cargando la camioneta
nos cobran {monto} extra por cada bulto de cemento
la constructora {nombre} recibio el dinero de toda la colonia y se desaparecio
trajeron la mitad del block que decia la lista y nos hicieron firmar de recibido
el maestro de obra vende la varilla del programa en {municipio}
Por este medio denuncio que la empresa constructora recibió la totalidad del pago
  y abandonó los trabajos en nuestra comunidad.
a los 20 de la colonia nos cobraron las ventanas y nunca las pusieron
el asistente tecnico nos pidio que firmaramos las actas en blanco
la obra aparece como terminada en el sistema pero yo no tengo ni techo
nos dieron material de mala calidad y el bueno se lo quedo la constructora
la lamina que nos tocaba la estan vendiendo en la ferreteria de {el señor|la señora}
  {nombre}
dijeron que el dinero ya se habia gastado en material pero nunca vimos el material
{el asistente|la asistente} tecnico nos cobro {monto} por firmar la bitacora y la
  obra sigue igual
la constructora se quedo con la segunda ministracion y no regreso
nos pidieron firmar un pagare por {monto} para seguir con la obra
el albañil que mando la constructora cobra por dia aparte de lo que ya pago el
  programa
tengo fotos de como sacaban el material de la bodega del programa en la noche
nos tomaron foto con la casa de otra persona para que pareciera terminada
el tecnico nos dijo que la obra iba a costar {monto} mas porque el apoyo no alcanza
[+soborno] el supervisor de conavi firmo que todo estaba bien y la obra esta a medias,
  seguro le dieron algo
Denuncio que la constructora asignada facturó materiales que no fueron entregados
  en {municipio}, {estado}.
hicieron la casa con la mitad de castillos y la otra mitad del fierro se la llevaron
el dinero del apoyo lo depositaron directo a la constructora y no ha puesto ni un
  block
vinieron a recoger el material que nos habian dejado, dijeron que era para otro lado
el asistente tecnico cobra a cada familia {monto} por el proyecto que ya esta pagado
la obra de 40 familias esta abandonada desde {mes} y la constructora ya cobro todo
el comite de obra compro material mas caro y se quedo con la diferencia
nos entregaron el cuarto sin piso, sin ventanas y sin puerta, y segun ya esta pagado
  todo
la obra la cobraron como de losa y nos pusieron lamina, la diferencia quien se la
  quedo?
{el asistente|la asistente} {nombre} nos hizo firmar recibos de materiales que nunca
  vimos
""")
,
    "pago": phrases("""
la constructora nos pidio la tarjeta del apoyo y saco todo el dinero
el asistente tecnico nos hizo transferirle el apoyo completo y solo puso una barda
nos obligaron a pagar la segunda ministracion a la constructora antes de que
  terminara la primera etapa
[+cobro_indebido] {el gestor|la gestora} {nombre} se quedo con el deposito de varias
  familias y dice que ya lo invirtio en material
la ferreteria del programa nos cobra el doble y dice que asi lo autorizaron
me dijeron que firmara que recibi el dinero completo pero solo me dieron la mitad
la constructora pidio que le pasaramos el dinero en efectivo y no dio factura, luego
  ya no volvio
Denuncio que el pago de la segunda ministración se transfirió a la empresa sin que
  los trabajos de la primera etapa estuvieran concluidos.
""")
,
}
# fmt: on
