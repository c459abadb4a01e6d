from haotong.cli import main

main()
