"""OpenRosa server for ODK Collect and Enketo: XForms generated from stored versions, form list, submissions."""
