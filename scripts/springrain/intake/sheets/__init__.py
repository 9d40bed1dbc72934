"""The spreadsheets regulators already use, both ways.

Reading (``springrain import``): ``workbook`` opens an untrusted .xlsx within ``limits``;
``cells`` turns a cell into text or a refusal; ``importer`` recognises the form and hands it
on: ``shanghai`` (the collection sheet, a table) or ``formsheet`` and ``fujian`` (annexes 1
and 2, forms); ``records`` knows the catalogue an import writes into; ``report`` words what
was not imported.

Writing (``springrain export``, and the web site): ``annexes`` is the one mapping table
between the official annexes and the schemas, ``layout`` the concrete form built from both
(read by the importer too), ``writer`` the annexes blank or filled, ``cmde`` the list of
class III projects ready for reporting to CMDE, ``exports`` the records they are made from.
"""
