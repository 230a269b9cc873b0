"""Reading a clipped article (`digest import`): its lines, names, dates, outlets and notices."""
