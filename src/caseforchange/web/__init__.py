"""The web app: a thin Django layer over the engine (see docs/web.md).

Each bounded context is its own Django app (accounts, programmes, workshops, consultation,
audit); they map database rows to the engine's domain objects in their ``repository`` modules,
so the engine never sees the ORM.
"""
