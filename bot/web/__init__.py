"""The agents' desk in the browser and the REST API for other systems."""
