// The Compile module. See DESIGN.md.
