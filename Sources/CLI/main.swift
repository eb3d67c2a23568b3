print("opsflow: skeleton")
