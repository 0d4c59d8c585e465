"""Accounts: the custom user, allauth adapter, consent, SMS, roles and scopes."""
