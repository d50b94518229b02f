"""The negotiation room: a web app where people negotiate through a mediator (``parley serve``)."""
