// The Jinja module. See DESIGN.md.
