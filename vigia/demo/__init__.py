"""Demo traffic: reproducible WhatsApp webhooks and portal forms for Vigía.

``generate_traffic`` produces realistic Cloud API webhook bodies for the two
CONAVI lines (Conavi Te Atiende and Conavi Denuncia) with the truth about
every inbound message; ``generate_portal_forms`` and ``write_portal_csv``
produce Portal Ciudadano contact forms. Everything derives from a seed.
"""

from vigia.demo.portal import (
    PORTAL_COLUMNS,
    generate_portal_cases,
    generate_portal_forms,
    write_portal_csv,
)
from vigia.demo.traffic import DemoNumbers, GeneratedBody, generate_traffic

__all__ = [
    "PORTAL_COLUMNS",
    "DemoNumbers",
    "GeneratedBody",
    "generate_portal_cases",
    "generate_portal_forms",
    "generate_traffic",
    "write_portal_csv",
]
