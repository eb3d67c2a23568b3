// libpq, PostgreSQL's client library (Debian package libpq-dev), for WarehousePostgres.
#include <libpq-fe.h>
