// The Warehouse module. See DESIGN.md.
