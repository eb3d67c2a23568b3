// The WarehouseSQLite module. See DESIGN.md.
