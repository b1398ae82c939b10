"""The common store: one schema for online, field and paper responses, targets, users and audit."""
