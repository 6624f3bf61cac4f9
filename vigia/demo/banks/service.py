"""Works, service complaints and out-of-scope messages: obra, atencion, otro.

Quality complaints about works (cracks, leaks, delays) and angry complaints
about the service carry no fraud signal: nobody took money that was not due.
They are the hardest negatives for a fraud classifier, so they are written
as heated as the real ones.
"""

from vigia.demo.banks import phrases

# fmt: off
OBRA = phrases("""
ya empezaron la obra en mi casa pero lleva 3 semanas parada
el asistente tecnico no ha venido desde hace un mes
le salieron grietas a la pared nueva, quien se hace responsable?
Buenas tardes, quisiera saber quién supervisa la obra de mi vivienda, hay detalles en
  el techo.
el albañil dejo la obra a medias y ya no contesta
cuando me traen el material? ya tengo todo listo para empezar
se filtra el agua por el techo que nos hicieron, apenas lo terminaron
puedo cambiar el diseño del cuarto? el asistente me dijo que no
la constructora se tarda mucho, ya van 4 meses y no terminan
el cemento que trajeron estaba mojado y hecho piedra, se puede cambiar?
necesito que venga alguien a revisar mi obra porfavor
me pueden mandar el plano de mi casa? el asistente nunca me lo dio
el piso quedo disparejo y las puertas no cierran bien
hola, el asistente tecnico no me explica nada, solo viene a tomar fotos
hasta cuando tenemos para terminar la obra?
yo mismo puedo hacer la obra o tiene que ser con constructora?
las ventanas que pusieron ya estan oxidadas
se cayo parte del aplanado, asi no se puede vivir
quien me asigna al asistente tecnico?
llovio y se metio el agua a mi cuarto nuevo
la obra de mi vecina ya esta terminada y la mia ni empezada
Por medio del presente solicito una visita de supervisión a mi vivienda, ya que los
  trabajos presentan deficiencias.
el material que nos dieron no alcanza pa terminar el cuarto, q hacemos?
me dejaron el escombro en la calle y los vecinos se quejan
el asistente dice que la obra esta bien pero las paredes estan chuecas
la losa tiene una cuarteadura enorme, me da miedo que se caiga
necesito cambiar de asistente tecnico, con este no se puede
los trabajadores solo vienen 2 dias a la semana, asi cuando acabamos
cuando viene el supervisor? quedaron de venir desde {mes}
la instalacion electrica quedo mal, ya se fundieron 2 focos
el baño no tiene desague, lo dejaron asi
se puede ampliar la obra si yo pongo dinero extra por mi cuenta?
que materiales cubre el apoyo?
ya termine mi obra, como hago para que la vengan a revisar?
la puerta que pusieron es de muy mala calidad, ya se despego
el cuarto quedo mas chico de lo que decia el plano
me pueden decir el nombre de la constructora que le toco a mi comunidad?
tenemos que firmar algo cuando se termine la obra?
hace mucho frio en el cuarto nuevo porque las ventanas no cierran, se puede arreglar?
la obra se paro porque dicen que no ha llegado la segunda ministracion
nos entregaron la casa pero no tiene luz ni agua
ayuda porfa el muro de atras se esta inclinando
las varillas se estan oxidando en el patio, nadie viene a seguir la obra
me dijeron que la obra tenia garantia, como la hago valer?
el techo de lamina que pusieron hace mucho ruido y se calienta, no era de losa?
Solicito atentamente que el asistente técnico asignado acuda a revisar el avance,
  pues no se ha presentado en tres semanas.
la mezcla que usaron se desmorona con la mano, eso no va a aguantar
se nos cuartearon las paredes con el temblor y la casa es nueva
""")

ATENCION = phrases("""
nadie contesta en el telefono de conavi, llevo toda la semana marcando
fui al modulo y me trataron muy mal, la señorita ni me volteo a ver
les escribo desde hace dias y nadie me responde
Es una falta de respeto que nadie dé información. Llevo meses esperando una respuesta.
en el modulo me dijeron una cosa y por telefono otra, ya no se a quien creerle
espere 5 horas en la fila y al final me dijeron que ya no habia sistema
por que no contestan? para que ponen este numero si no responden
estoy harta de que nadie me de razon
la licenciada del modulo me grito enfrente de todos
me mandan de un lado a otro y nadie me resuelve
ya van 3 veces que me piden los mismos papeles
el personal no sabe nada, les preguntas y te dicen que no saben
oigan ya respondan, no es justo que nos tengan asi
me colgaron el telefono cuando pregunte por mi tramite
el bot solo me manda el mismo mensaje una y otra vez
estoy muy molesta, me citaron a las 9 y nunca llegaron
porque cierran el modulo tan temprano? la gente trabaja
les pido de favor que me atiendan, soy persona mayor y no puedo estar yendo
la atencion es pesima, ojala alguien lea esto
me dijeron que me iban a llamar y nunca llamaron
el numero que dan en la pagina no existe
en la oficina de {municipio} nunca hay nadie
Quiero presentar una queja por el trato que recibí en el módulo de atención.
nadie me explica nada, solo me dicen que espere
que mal servicio, un mes sin respuesta
mande correo y tampoco contestan
el señor del modulo fue muy grosero conmigo y con mi mama
no hay informacion clara, cada quien dice algo distinto
les mande mis documentos por aqui hace 2 semanas y ni un visto
ya me canse de preguntar, para que tienen este whats
Me parece lamentable la falta de seguimiento por parte del personal.
el horario dice hasta las 3 y a la 1 ya estaba cerrado
nadie me quiso recibir mis papeles porque llegue 5 minutos tarde
por favor alguien que me conteste, no se que hacer
hablan muy rapido y no te explican bien, la gente mayor no entiende
me dejaron esperando en la linea 40 minutos y se corto
como es posible que no haya nadie que hable la lengua, mi abuelita no habla español
quiero hablar con un supervisor, la persona que me atendio no me ayudo
contesten!!!! llevo una semana escribiendo
cada vez que pregunto me dan un numero diferente
estoy muy {decepcionado|decepcionada} del servicio, pense que esto si funcionaba
me prometieron que me regresaban la llamada y nada
el personal del modulo se la pasa en el celular y no atiende
ni por whats ni por telefono, de plano no atienden
A quien corresponda: solicito que se me brinde una respuesta formal, he acudido en
  cuatro ocasiones sin obtener información.
me pusieron a hacer fila afuera con el sol 3 horas y habia señoras embarazadas
le pregunte a la del modulo y me dijo que eso no era su problema
""")

OTRO = phrases("""
como le hago para sacar mi credito infonavit?
quiero saber de mi pension del bienestar
es aqui donde se tramita lo de fovissste?
hola me pueden ayudar con mi beca benito juarez
vendo terreno en {municipio}, interesados mandar mensaje
¿Ustedes dan créditos para comprar auto?
buenas, busco trabajo de albañil, hay vacantes?
me equivoque de numero perdon
quiero cambiar mi direccion en el INE donde lo hago?
como saco mi acta de nacimiento?
hola, ya termine de pagar mi credito infonavit, como libero la hipoteca?
¿Me pueden dar el teléfono de la CFE? Me llegó muy alto el recibo de luz.
necesito un prestamo urgente
donde se paga el predial?
hola alguien sabe de la pension para adultos mayores
jajaja perdon era para otra persona
buenas noches, me puedes pasar el numero de la presidencia municipal
que onda
Dios los bendiga
quiero poner una queja contra mi casero, no me quiere regresar el deposito
saben donde venden block barato?
Promocion!!! gana dinero desde casa, pregunta por informes sin compromiso
como inscribo a mi hijo en la escuela
cuanto cuesta una casa del infonavit en {municipio}?
quiero hacer una queja contra el municipio porque no recogen la basura
es el numero del seguro social?
hola quien es?
se me perdio mi credencial del inapam
mi vecino hace mucho ruido en la noche, a quien me quejo
tienen trabajo para arquitectos?
¿Este número es de la Secretaría de Bienestar?
Hola! Somos una empresa de paneles solares, les interesaria una cotizacion?
como me doy de alta en el SAT
como actualizo mis datos en el infonavit
buen dia, felices fiestas a todo el personal
necesito ayuda con un tramite del registro civil
es aqui lo de los apoyos para el campo?
quiero saber sobre el programa de fovissste para remodelar
me pueden decir cuando pagan la pension de discapacidad?
ando buscando cuarto en renta en {municipio}
hay vacunas en el centro de salud de aqui?
me pasan el numero de la comision del agua porfa
mande
""")
# fmt: on
