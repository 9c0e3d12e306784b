from . import collector

collector.starting()  # before click and the rest are imported (kyotei_docs.collector)

from .cli import main  # noqa: E402

main()
