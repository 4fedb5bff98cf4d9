"""Pure domain: entities, validators and rules. Imports nothing else from workbench, never Qt."""
