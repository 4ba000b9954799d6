"""Reading the two contracts into the intermediate representation."""
