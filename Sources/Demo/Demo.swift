// The Demo module. See DESIGN.md.
