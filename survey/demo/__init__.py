"""The demo consultation: 'Les Futurs de Bruxelles' (2022), rebuilt with approximate demo figures."""
