"""Questions that reach Conavi Te Atiende: registro, estatus and pago.

Gender notation ``{o|a}`` here refers to the writer. Hard negatives live here
on purpose: "es gratis el registro?", "no me han cobrado nada", a correct
subsidy amount. They mention money or fees and still carry no fraud signal.
"""

from vigia.demo.banks import phrases

# fmt: off
REGISTRO = phrases("""
hola buenas tardes, cuales son los requisitos para el programa de vivienda?
quisiera saber como me puedo registrar para el apoyo de vivienda
donde queda el modulo de registro en {municipio}?
buenas, que papeles necesito pa registrarme? tengo INE y CURP nada mas
Buenos días, disculpe, ¿cuándo abren el registro para el programa de mejoramiento
  de vivienda?
mi terreno no esta a mi nombre esta a nombre de mi papa, asi puedo entrar al programa?
es gratis el registro? o hay que pagar algo
oiga y el registro se hace en linea o tengo que ir a algun lado
soy mama soltera con 3 hijos, puedo pedir el apoyo para mi casita?
hola q tal, me dijeron que andan haciendo censo casa por casa, cuando pasan por mi
  colonia?
tengo 72 años puedo registrarme o ya no?
Una pregunta, si ya tuve credito de infonavit puedo entrar al programa de conavi?
cuales son los requisitos pa construir un cuarto, mi casa es de lamina
hola necesito info del programa vivienda para el bienestar
vivo en renta, aplica para mi o solo si tienes terreno?
buenas noches, mi esposo ya se registro, yo tambien me puedo registrar o es uno por
  familia?
que documentos piden para comprobar que el terreno es mio? solo tengo constancia ejidal
me puede pasar el link para registrarme porfa
hasta cuando hay chance de registrarse? no alcance a ir al modulo
¿El registro tiene algún costo? Es que en mi comunidad dicen que sí
no me han cobrado nada verdad que no se paga por registrarse?
hola, pasaron a levantar censo a mi calle pero yo no estaba, como le hago ahora?
se necesita comprobante de domicilio reciente o sirve uno viejo?
Buenas tardes. Quisiera información sobre los requisitos para solicitar el subsidio
  de autoproducción de vivienda.
no tengo la CURP impresa, la puedo llevar en el cel?
mi INE esta vencida me la aceptan para el registro?
cuando van a venir a {municipio}? aqui nadie sabe nada del registro
se puede registrar mi mama que no sabe leer? yo la acompaño
hola! una duda, el apoyo es para comprar casa o para construir?
vivimos 3 familias en el mismo terreno podemos registrarnos las 3?
Quiero saber si mi localidad está dentro de las zonas de atención del programa, soy
  de {municipio}, {estado}
donde me puedo informar de las reglas del programa? en internet sale de todo
ya fui al modulo 2 veces y siempre esta cerrado, que horario tienen?
mi casa se daño con las lluvias, hay algun programa de reconstruccion donde me pueda
  anotar?
tengo discapacidad y no puedo ir al modulo, pueden venir a mi casa a registrarme?
que edad hay que tener pa pedir el apoyo
oigan, un vecino me dijo que hay que llevar 2 testigos al registro, es cierto?
si trabajo por mi cuenta y no tengo recibos de nomina puedo aplicar?
buenas tardes mi terreno esta intestado, hay manera de registrarme?
quiero registrar a mi hija que ya es mayor de edad pero vive conmigo, se puede?
donde hay modulos en {estado}? el mas cercano me queda a 2 horas
me pueden decir los pasos pa inscribirme al programa de vivienda social? graciasss
Cómo sé si califico para el apoyo? No tengo casa propia, vivo con mis suegros
el registro es por internet? no tengo computadora solo cel
es cierto que solo registran a los que salieron en el censo del bienestar?
ya se cerro el registro? una señora me dijo que ya no hay lugares
soy {jubilado|jubilada} y vivo {solo|sola}, tambien me toca o es nomas pa familias?
que pasa si mi terreno es comunal? el comisariado si me da constancia
la persona que se registra tiene que ser la dueña del terreno o puede ser el esposo?
""")

ESTATUS = phrases("""
buenas tardes, quiero saber como va mi solicitud, mi folio es {folio}
ya me registre desde {mes} y no me han dicho nada
como puedo saber si sali {aprobado|aprobada}?
hola, donde puedo ver la lista de beneficiarios?
me registre hace como 6 meses y nadie me da razon
mi folio es {folio} me pueden decir si ya quede?
Buenos días, solicito información sobre el estado de mi trámite, folio {folio}.
  Gracias.
sali en la lista o no? no se donde checar
me dijeron que mi solicitud fue rechazada pero no me dijeron xq
perdi mi folio, como puedo consultar mi registro con mi CURP?
hola, a mi vecina ya le llego respuesta y a mi no, nos registramos el mismo dia
ya paso el censo por mi casa hace meses, cuando dan resultados?
q significa que mi solicitud este en revision? ya lleva mucho asi
en la lista que pegaron en la presidencia aparece mi nombre, que sigue ahora?
quisiera saber si todavia estoy en proceso o ya me dieron de baja
ya hace un año que me registre y nada, no se si sigo en la lista
como se cuando me toca? ya entregue todos mis papeles
Me podrían informar si mi solicitud fue aprobada? Me registré en {municipio} en {mes}.
el resultado sale en la pagina? porque yo no lo encuentro
hola buen dia, me rechazaron porque segun el terreno no es mio pero si tengo papeles,
  puedo volver a meter?
ya tengo mi folio {folio}, que sigue?
me hablaron para decirme que me falta un documento pero no me dijeron cual
oiga y si me cambie de domicilio despues de registrarme pasa algo con mi tramite?
cuanto tarda en salir la respuesta despues del censo?
sali {beneficiado|beneficiada}, ahora que tengo que hacer?
mi solicitud aparece como duplicada, que quiere decir eso?
porque a unos ya les dieron y a otros no si nos registramos igual
me podrian checar con mi curp si estoy {registrado|registrada}? no tengo el folio
que pasa si no sali en la lista? puedo volver a intentar el otro año?
hola nada mas pa saber si ya salieron los resultados de {estado}
ya fui a preguntar al modulo y me dijeron que les escribiera por aqui, quiero saber
  mi estatus
en la lista sale mal escrito mi nombre, eso afecta?
Mi mamá se registró pero falleció, ¿qué pasa con su trámite? Yo vivo en la casa.
me dijeron que estoy en lista de espera, cuanto tiempo es eso?
nos registramos toda la colonia y a nadie le han dicho nada
ya van 3 veces que pregunto y no me dan razon de mi folio {folio}
como puedo saber en que etapa va mi solicitud?
oigan en que numero puedo consultar mi folio?
hola me llego un correo de que mi solicitud fue validada que significa?
me dijeron que mi expediente estaba incompleto pero yo entregue todo
ya sali aprobado??? mi folio {folio} porfa
buenas, queria saber si ya hay fecha para la publicacion de beneficiarios
se puede saber el estatus por whats o tengo que ir?
Le pregunto de favor si el folio {folio} sigue vigente, ya pasó mucho tiempo.
mi solicitud dice cancelada y yo nunca la cancele
desde {mes} estoy esperando que me digan algo, ya me desespere
""")

PAGO = phrases("""
cuando depositan el apoyo?
ya tengo mi tarjeta pero no me ha llegado nada
hola, me llego solo una parte del deposito, cuando llega lo demas?
de que banco es la tarjeta del apoyo?
Buenas tardes, ¿cuándo se realiza la segunda ministración? Ya terminamos la primera
  etapa.
me depositaron {apoyo} de la primera ministracion, es correcto el monto?
perdi la tarjeta del banco, como la repongo?
ya fui al banco y me dicen que no hay nada en la cuenta
la tarjeta viene a mi nombre o a nombre de quien?
oiga me dijeron que el deposito llega en 2 partes es cierto?
cuanto es lo que dan de apoyo para mejoramiento?
no me ha llegado el segundo pago y ya tengo la obra parada
me bloquearon la tarjeta x poner mal el nip 3 veces, q hago?
el deposito llega a la cuenta de la constructora o a la mia?
ya me llego el deposito muchas gracias!! era lo que me faltaba
cuando entregan las tarjetas en {municipio}?
me dieron la tarjeta pero dice que esta inactiva
se puede sacar el dinero en efectivo o solo se paga con la tarjeta?
hola, le depositaron a mi esposo pero la que se registro fui yo
Quisiera saber por qué mi pago aparece como rechazado en el sistema.
a todos les llego el dinero menos a mi
no me han cobrado nada pero tampoco me ha llegado el apoyo, que pasa?
cuanto tiempo tengo para usar el dinero del apoyo?
en el banco me cobraron comision por sacar, asi es o me la cobraron mal?
me llego un mensaje del banco que ya tengo saldo, ya puedo comprar el material?
tengo que comprobar en que me gaste el dinero?
la tarjeta me llego con otro nombre, a quien le aviso?
ya me depositaron pero me falta la segunda parte, cuanto tarda?
no tengo cuenta de banco, como me van a pagar?
el banco de aqui siempre esta lleno, puedo cobrar en otra sucursal?
cuando es la fecha de pago de la ministracion?
me pueden decir cuanto me depositaron? no tengo app del banco
dicen que el pago se atraso para todos, es verdad?
me dieron de alta pero no me han dado la tarjeta
Buenas noches. Recibí el primer depósito por {apoyo}. ¿Hasta cuándo llega el segundo?
el pago es mensual o te lo dan todo junto?
mi tarjeta se vencio antes de que me depositaran, que hago
me depositaron menos de lo que me dijeron, me faltan como 5 mil
puedo usar la tarjeta del apoyo en cualquier tienda de materiales?
ya me pagaron la primera, ahora que tengo que hacer pa la segunda?
porque me retuvieron el pago? nadie me explica
quiero saber si ya salio la dispersion de {estado}
estoy esperando el deposito desde {mes}
en el cajero me sale saldo cero, ya me tenian que haber depositado
Por medio del presente solicito información sobre la fecha de dispersión del subsidio
  que me fue asignado.
me llego el deposito de {apoyo}, lo puedo pasar a mi otra cuenta?
mi esposo es el beneficiario pero esta hospitalizado, puedo cobrar yo?
""")
# fmt: on
