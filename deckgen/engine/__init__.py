"""The deck engine: compile a template once, render it for many prospects."""
