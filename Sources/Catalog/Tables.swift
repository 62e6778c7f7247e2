// Tables, views, sequences, columns, inheritance and partitions.
extension CatalogContext {
    func getTables() throws {}
    func getOwnedSeqs() throws {}
    func getInherits() throws {}
    func flagInhTables() throws {}
    func getTableAttrs() throws {}
    func flagInhAttrs() throws {}
    func getPartitioningInfo() throws {}
}
