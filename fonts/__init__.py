"""Bundled open-licence fonts, shipped in the wheel as the data package exporter._fonts."""
