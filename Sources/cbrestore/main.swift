print("cbrestore")
