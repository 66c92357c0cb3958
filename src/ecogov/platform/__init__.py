"""Platform core: settings, database, migrations, scope, audit, i18n, errors, plug-ins."""
