"""People management: administrators' pages for accounts and their roles on programmes."""
