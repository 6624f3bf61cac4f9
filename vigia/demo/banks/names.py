"""Mexican given names and surnames for senders, gestores and portal users."""

from vigia.demo.banks import lines

# fmt: off
FEMALE = lines("""
María Guadalupe
Guadalupe
María
Juana
Rosa María
Leticia
Verónica
Patricia
Claudia
Margarita
Josefina
Ana María
Norma
Martha
Elizabeth
Alejandra
Yolanda
Silvia
Adriana
Gabriela
Araceli
Lucía
Rocío
Maribel
Karla
Daniela
Fernanda
Itzel
Ximena
Brenda
Yesenia
Reyna
Esperanza
Socorro
Carmen
Teresa
Irma
Erika
Jazmín
Marisol
Dulce María
Concepción
Beatriz
Sandra
Minerva
""")

MALE = lines("""
José Luis
Juan
Juan Carlos
Miguel Ángel
Francisco
Jesús
Pedro
Alejandro
Roberto
Ricardo
Fernando
Jorge
Arturo
Eduardo
Raúl
Sergio
Manuel
Antonio
Javier
Mario
Rafael
Daniel
Martín
Hugo
Armando
Gerardo
Rogelio
Efraín
Ramiro
Abel
Isidro
Cruz
Tomás
Saúl
Ángel
Luis Enrique
Óscar
Héctor
Marco Antonio
Nicolás
Gilberto
Alfredo
Emiliano
Brayan
Kevin
""")

SURNAMES = lines("""
Hernández
García
Martínez
López
González
Pérez
Rodríguez
Sánchez
Ramírez
Cruz
Flores
Gómez
Morales
Vázquez
Jiménez
Reyes
Díaz
Torres
Gutiérrez
Ruiz
Mendoza
Aguilar
Ortiz
Moreno
Castillo
Romero
Álvarez
Méndez
Chávez
Rivera
Juárez
Ramos
Domínguez
Herrera
Medina
Castro
Vargas
Guzmán
Velázquez
Rojas
Salazar
Cortés
Santiago
Luna
Ortega
Contreras
Estrada
Bautista
Gálvez
Pineda
Tapia
Xolalpa
Cuevas
Ventura
Ku
Canul
Pech
Matus
""")

# Nicknames people use as their WhatsApp profile name.
NICKNAMES_FEMALE = lines("""
Lupita
Lupe
Mary
Rosy
Paty
Lety
Vero
Chayito
Conchita
Maru
Gaby
Ale
Caro
Yeyi
Doña Juana
""")

NICKNAMES_MALE = lines("""
Pepe
Chuy
Paco
Toño
Beto
Memo
Lalo
Nacho
Don Pancho
El Güero
Charly
Pancho
Chava
Quique
Rigo
""")

EMAIL_DOMAINS = (
    "gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx", "icloud.com",
)
# fmt: on
