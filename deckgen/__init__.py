"""deckgen: branded, per-prospect walk-away pitch decks for managed IT service providers."""

__version__ = "0.1.0"
