// The Run module. See DESIGN.md.
