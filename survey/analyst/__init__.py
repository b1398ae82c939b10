"""The analyst workbench: targets, weighting runs, results, bias audit, snapshots, public results."""
