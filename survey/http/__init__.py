"""HTTP concerns every door shares: CSRF, staff sessions, throttles, shared counts, security headers, error
pages, language negotiation. The citizen pages (`survey.web`), the analyst workbench, the console and the field
app all build on these; none of them owns them."""
