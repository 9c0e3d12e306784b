"""kyotei-docs: read, check, route and render partnership agreements (連携協定).

The pipeline, one idea per package:

* ``readers`` turn a submitted file (.docx, PDF, ...) into a layout-neutral
  :class:`~kyotei_docs.form.FormDoc`: text blocks and checkbox marks, each with its source;
* ``extract`` turns any ``FormDoc`` into a :class:`~kyotei_docs.proposal.Proposal`;
* ``rules`` check a ``Proposal``; ``routing`` says which department handles it;
* renderers turn it into documents.
"""

__version__ = "0.1.0"
