"""troly06: shared core (settings, PII masking, logging, CLI) of Trợ lý Đề án 06."""

__version__ = "0.1.0"
