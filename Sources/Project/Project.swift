// The Project module. See DESIGN.md.
