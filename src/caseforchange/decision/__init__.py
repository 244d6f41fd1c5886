"""The decision file's engines and charts: finance, workforce, risks, competition and more."""
