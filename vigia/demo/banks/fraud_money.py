"""Reports of money demanded for free procedures: cobro_indebido and soborno.

The difference is who asks. A gestor, coyote, community leader, builder or
anyone outside government taking money for something free is
``cobro_indebido``; a public servant asking for a bribe or a share of the
subsidy (a "moche") is ``soborno``. Gender notation ``{el|la}`` refers to
the person who asked for the money. Each bank maps the message's topic to
its lines.
"""

from vigia.demo.banks import phrases

# fmt: off
COBRO_INDEBIDO = {
    "registro": phrases("""
un señor que se dice gestor nos esta cobrando {monto} por registrarnos al programa
en mi comunidad {el señor|la señora} {nombre} anda pidiendo {monto} para apuntarnos en
  la lista
quiero denunciar que la lider de la colonia cobra {monto} por persona para el censo
nos dijeron que si no dabamos {monto} de cooperacion no nos registraban
me cobraron {monto} para llenar la solicitud, dijeron que era por el formato
hay un coyote en {municipio} que cobra {monto} por meterte al programa, su numero es
  {tel}
buenas tardes, en la reunion de la colonia pidieron {monto} a cada familia para gastos
  del tramite
{un tal|una tal} {nombre} cobra por apartar lugar en el registro, a mi me pidio {monto}
me pidieron {monto} pa una constancia que segun es requisito del programa
[+suplantacion] Por este medio denuncio que una persona que dice trabajar para Conavi
  cobra {monto} por registro en nuestra localidad.
pague {monto} a {un gestor|una gestora} pa que me registrara y nunca me dio ningun
  comprobante
nos estan pidiendo {monto} por familia pa que venga el censo a la comunidad
la señora que hace las listas cobra {monto}, dice que es pa su gasolina
{el gestor|la gestora} {nombre} dice que sin pagarle {monto} no nos toman en cuenta
en la asamblea ejidal cobraron {monto} a cada quien para meter los papeles de vivienda
oigan es legal que cobren {monto} por registrarse? aqui {un señor|una señora} lo esta
  haciendo
Quiero reportar que en {municipio} se está cobrando una cuota de {monto} para
  inscribirse al programa de vivienda.
mi vecina pago {monto} por el registro y a mi me estan pidiendo lo mismo
el de la organizacion nos pide {monto} de inscripcion y {monto} de mensualidad pa
  estar en el programa
cobran {monto} por sacar copias y llenar el formato, y si no pagas no te registran
[+condicionamiento] la lider cobra {monto} y ademas hay que ir a sus juntas, si no
  vas no te apunta
""")
,
    "estatus": phrases("""
me dijeron que por {monto} me aseguraban salir en la lista de beneficiarios
{un señor|una señora} cobra {monto} pa agilizar el tramite, dice que asi sale mas
  rapido el folio
la lider nos pide {monto} pa que no nos saquen de la lista
pague {monto} para que mi solicitud saliera aprobada y ni sali
{el gestor|la gestora} {nombre} me cobro {monto} por checar mi folio, y luego me pidio
  mas
nos estan cobrando {monto} para pasarnos a la lista de los que si les toca
{el señor|la señora} dice que tiene conocidos y que por {monto} te suben en la lista
Hago de su conocimiento que una persona de nombre {nombre} solicita {monto} para dar
  seguimiento a las solicitudes.
me cobraron {monto} por revisar si ya habia salido y ni me dieron nada por escrito
dicen que los que no pagamos {monto} vamos a quedar hasta el final de la lista
a mi suegra le cobraron {monto} pa que no la dieran de baja
""")
,
    "pago": phrases("""
{el gestor|la gestora} pide {monto} pa liberar el apoyo, dice que si no le damos no
  llega el deposito
nos quieren cobrar {monto} de cuota cuando llegue el pago
{nombre} se queda con {monto} de cada tarjeta que entrega
pidieron el 10 por ciento del apoyo como cooperacion pa la asociacion
cuando nos entregaron la tarjeta {el señor|la señora} {nombre} nos pidio {monto} por
  la entrega
me dijeron que para activar la tarjeta tenia que darle {monto} al de la organizacion
nos acompañaron al banco y ahi mismo nos pidieron {monto} a cada uno
la lider tiene las tarjetas de varias señoras y no se las quiere dar si no le pagan
  {monto}
""")
,
    "obra": phrases("""
[+desvio_obra] el asistente tecnico nos cobra {monto} por hacer el plano, y eso es
  gratis no?
el comite de obra cobra {monto} a cada familia para que nos toque el material
[+desvio_obra] el maestro de obra pide {monto} extra por cada semana o si no se va
{el señor|la señora} que dice ser del comite pide {monto} para que venga la
  constructora
nos piden {monto} pa el flete del material y eso ya viene pagado
""")
,
}

SOBORNO = {
    "registro": phrases("""
el de conavi que vino a hacer el censo me pidio {monto} pa ponerme en la lista
el encargado del modulo me dijo que con {monto} me pasaba primero
{un funcionario|una funcionaria} de la oficina de {municipio} pide {monto} por
  recibir los papeles
Denuncio al servidor público {nombre}, quien condiciona el registro al pago de {monto}.
el del censo nos dijo que si le dabamos algo para el refresco nos registraba rapido,
  a mi me pidio {monto}
{el licenciado|la licenciada} {nombre} que trabaja en la delegacion dice que sin
  {monto} no hay registro
en el modulo {el señor|la señorita} que atiende pide {monto} por ponerte en el sistema
{el servidor|la servidora} de la nacion que anda en mi colonia pide {monto} por
  anotarnos
el que levanta el censo me dijo que mi casa no calificaba pero que con {monto} lo
  arreglaba
un empleado de la presidencia municipal nos cobra {monto} por el sello del formato
la del modulo me regreso mis papeles y me dijo quedito que si traia {monto} si me los
  recibia
buenas noches, quiero denunciar a {un trabajador|una trabajadora} de conavi que pide
  {monto} por hacer el registro en casa
""")
,
    "estatus": phrases("""
{el licenciado|la licenciada} de la oficina regional dice que si le doy {monto} mi
  folio sale aprobado
un trabajador de conavi me pidio {monto} por desbloquear mi solicitud
me dijeron en la oficina que mi expediente estaba detenido y que por {monto} lo movian
{el funcionario|la funcionaria} {nombre} nos pide dinero para no darnos de baja
el supervisor que vino dijo que mi solicitud tenia problemas y que con {monto} se
  arreglaba todo
Hago constar que personal de la oficina de {estado} me solicitó {monto} para agilizar
  mi trámite.
{el encargado|la encargada} de la lista en el ayuntamiento quiere {monto} por cabeza
el de la oficina me enseño la lista y me dijo que por {monto} me movia hasta arriba
me rechazaron y luego {el licenciado|la licenciada} me marco pa decirme que con
  {monto} me volvia a meter
""")
,
    "pago": phrases("""
un funcionario del municipio nos pide el moche, {monto} de cada apoyo
{el licenciado|la licenciada} {nombre} dice que si no le doy {monto} no sale mi pago
el servidor de la nacion nos pidio una parte del subsidio por haberlo gestionado
quieren la mitad del apoyo, dice el del ayuntamiento que asi se reparte
en la entrega de tarjetas {el delegado|la delegada} nos pidio {monto} para el
  refresco, y a todos igual
el de conavi dice que nos toca dar {monto} de cada ministracion para los que
  trabajan en la oficina
[+condicionamiento] el regidor dice que el pago sale si le damos {monto} y vamos a
  votar por el
me retuvieron el pago y {el funcionario|la funcionaria} me dijo que con {monto} lo
  liberaba
Denuncio que personal adscrito a la oficina estatal exige el 20 por ciento del
  subsidio a los beneficiarios.
el encargado de la dispersion nos pidio {monto} cada uno para que nos llegara completo
{el señor|la señora} {nombre} es de gobierno y cobra comision de cada deposito,
  {monto}
la cajera del banco dice que el gerente pide {monto} para pagarnos el apoyo sin
  tanta vuelta
""")
,
    "obra": phrases("""
el supervisor de conavi pidio {monto} para firmar el acta de la obra
[+desvio_obra] el supervisor pide {monto} para aprobar la obra aunque este mal hecha
{el ingeniero|la ingeniera} de la oficina de vivienda pide {monto} por cada
  visita de supervision
nos dijeron que si no le damos {monto} al supervisor no libera la segunda ministracion
[+desvio_obra] el de conavi esta de acuerdo con la constructora y los dos piden
  dinero extra
{el funcionario|la funcionaria} que revisa las obras pide {monto} por no reportar
  detalles
el director de obras del municipio cobra {monto} por el permiso que segun es
  necesario pa el programa
el verificador que mando conavi dijo que o le dabamos {monto} o reportaba la obra
  como abandonada
""")
,
}
# fmt: on
