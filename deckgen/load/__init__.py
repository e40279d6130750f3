"""Loading profiles, prospects, CRM exports and brand kits into the model."""
