"""The books on disk: models, engine setup, migrations, numbering and backups."""
