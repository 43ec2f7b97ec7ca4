#!/usr/bin/env bash
# PostgreSQL docker-entrypoint init script (mount into /docker-entrypoint-initdb.d/).
#
# Creates one login role and one database owned by it for each service, so that
# no service can reach another's data:
#
#   intake, assignment, contact, letters, reporting
#
# Passwords come from <SERVICE>_DB_PASSWORD (INTAKE_DB_PASSWORD,
# ASSIGNMENT_DB_PASSWORD, CONTACT_DB_PASSWORD, LETTERS_DB_PASSWORD,
# REPORTING_DB_PASSWORD). There is deliberately no default here: the dev
# defaults live only in docker-compose.yml, and a missing password aborts the
# initialisation instead of creating a role anyone can guess.
#
# The official image runs these scripts once, on an empty data directory, as the
# superuser ($POSTGRES_USER) against a server listening on the Unix socket only.
set -eo pipefail

SERVICES="intake assignment contact letters reporting"

for service in $SERVICES; do
    var="${service^^}_DB_PASSWORD"
    password="${!var:-}"
    if [[ -z "$password" ]]; then
        echo "init-databases: $var is not set; refusing to create role '$service' without a password" >&2
        exit 1
    fi

    echo "init-databases: creating role and database '$service'"
    # Values are passed as psql variables and quoted by psql itself
    # (:"ident" for identifiers, :'literal' for strings), so any password is safe.
    # CREATE DATABASE cannot run inside a transaction; psql autocommits each line.
    psql -v ON_ERROR_STOP=1 \
         --username "$POSTGRES_USER" \
         --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
         --set=svc="$service" \
         --set=pw="$password" <<'EOSQL'
CREATE ROLE :"svc" LOGIN PASSWORD :'pw';
CREATE DATABASE :"svc" OWNER :"svc" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"svc" FROM PUBLIC;
GRANT ALL ON DATABASE :"svc" TO :"svc";
EOSQL
done

echo "init-databases: done ($SERVICES)"
