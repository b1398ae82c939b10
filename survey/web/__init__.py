"""Server-rendered pages for citizens: light, accessible, working without JavaScript."""
