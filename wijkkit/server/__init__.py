"""A team server for one project: JupyterHub, its proxy, and the project's store on PostgreSQL.

The shape (see ``wijkkit server --help`` and the README, "Voor een team"):

- ``installeer``: a runtime every team member's processes can run (a venv from the system's Python, with
  wijkkit, JupyterHub and the name model), in a folder like ``/opt/wijkkit``;
- ``maak``: the server folder of one project: a readable ``jupyterhub_config.py`` (plain assignments),
  secrets in files of mode 600, Unix groups, and the PostgreSQL database with a role per kind of member;
- ``gebruiker``: a hub account with a role (coördinator, codeur, gast) and a one-time password;
  ``gebruiker verwijder``: a member leaves (their work stays, under their name);
- ``start``, ``stop``: the hub, its proxy and the kenniskring service (Voila behind the hub's login);
- ``verwijder``: the server goes, the project and its database stay.

Who someone is comes from the operating system, not from what they type: every coördinator and codeur runs
as a Unix user of their own (``wk-<naam>``), PostgreSQL lets a Unix user in only as the role of the same
name (``peer``), and a trigger writes that name into every decision and memo. A codeur cannot read the key of
the originals (a file of the coördinatoren's group) nor the originals' table (no grant). Row-level security and
an ownership trigger keep each member's rows their own; every change and every refused attempt is kept in
``geschiedenis`` (``rollen.eigendom_sql``). ``maak`` refuses a PostgreSQL that lets anyone in without a
password; ``cluster`` starts one of the server's own for a try-out and the tests.
"""
