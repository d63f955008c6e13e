package org.imgedge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DialectTest {

  @Test
  @DisplayName("SQL is written once with '?' and numbered for PostgreSQL")
  void numbersPlaceholdersForPostgres() {
    String sql = "SELECT a FROM t WHERE owner = ? AND id < ? LIMIT ?";
    assertThat(Dialect.SQLITE.sql(sql)).isEqualTo(sql);
    assertThat(Dialect.POSTGRES.sql(sql)).isEqualTo("SELECT a FROM t WHERE owner = $1 AND id < $2 LIMIT $3");
  }

  @Test
  @DisplayName("claims lock and skip rows on PostgreSQL; SQLite, one writer at a time, asks for no lock")
  void claimLocks() {
    assertThat(Dialect.POSTGRES.lockSkippingLocked()).isEqualTo(" FOR UPDATE SKIP LOCKED");
    assertThat(Dialect.SQLITE.lockSkippingLocked()).isEmpty();
  }

  @Test
  @DisplayName("a broken unique rule is told apart from other SQLite errors, also when wrapped")
  void recognisesSqliteUniqueViolation() {
    SQLException unique = new SQLException("[SQLITE_CONSTRAINT_UNIQUE] UNIQUE constraint failed: images.owner, images.sha256", null, 2067);
    SQLException busy = new SQLException("[SQLITE_BUSY] database is locked", null, 5);
    assertThat(Dialect.SQLITE.isUniqueViolation(new RuntimeException(unique))).isTrue();
    assertThat(Dialect.SQLITE.isUniqueViolation(busy)).isFalse();
    assertThat(Dialect.POSTGRES.isUniqueViolation(unique)).isFalse();
  }

  @Test
  @DisplayName("cursors round-trip and refuse anything this service did not make")
  void cursorsAreOpaqueAndChecked() {
    String id = org.imgedge.support.Ids.next();
    assertThat(SqlCatalogRepository.decodeCursor(SqlCatalogRepository.encodeCursor(id))).isEqualTo(id);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqlCatalogRepository.decodeCursor("bm90LWFuLWlk"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
