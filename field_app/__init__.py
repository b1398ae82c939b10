"""The offline field app for interviewers (a PWA under /field) and its sync endpoints."""
