// Which branches the ROOT reader decodes and which it refuses: the layout decision from TBranch
// metadata (as jsroot streams it), and E_UNSUPPORTED naming the branch when one is read. Real
// files are compared with uproot in root.test.ts; none of them has a branch we refuse, so the
// refusals are checked here on branch descriptions shaped like jsroot's.
import { OpenDataError } from '../../kernel-helpers/src/core/errors';
import { branchLayout, layoutTypeName } from '../../kernel-helpers/src/node/root/branch-layout';
import { ROOTTree } from '../../kernel-helpers/src/node/root/tree';

function leaf(typename: string, title: string, extra: Record<string, unknown> = {}) {
  return {
    _typename: typename,
    fName: title.replace(/\[.*$/, ''),
    fTitle: title,
    fLen: 1,
    fIsUnsigned: false,
    fLeafCount: null,
    ...extra
  };
}

function branch(name: string, leaves: object[], extra: Record<string, unknown> = {}) {
  return {
    _typename: 'TBranch',
    fName: name,
    fTitle: name,
    fLeaves: { arr: leaves },
    fBranches: { arr: [] },
    fBaskets: { arr: [] },
    fWriteBasket: 1,
    fBasketSeek: [100, 0],
    fBasketBytes: [50, 0],
    fBasketEntry: [0, 10],
    fTotBytes: 120,
    ...extra
  };
}

test('decodable layouts and their types', () => {
  const cases: [object, string][] = [
    [branch('a', [leaf('TLeafD', 'a')]), 'float64'],
    [branch('b', [leaf('TLeafI', 'b', { fIsUnsigned: true })]), 'uint32'],
    [branch('c', [leaf('TLeafS', 'c[2][3]', { fLen: 6 })]), '2 * 3 * int16'],
    [branch('d', [leaf('TLeafF', 'd[n]', { fLeafCount: { fName: 'n' } })]), 'var * float32'],
    [branch('e', [leaf('TLeafC', 'e')]), 'string'],
    [branch('f', [leaf('TLeafO', 'f')]), 'bool'],
    [
      {
        ...branch('g', [leaf('TLeafElement', 'g')]),
        _typename: 'TBranchElement',
        fClassName: 'vector<unsigned int>',
        fType: 0,
        fStreamerType: -1
      },
      'var * uint32'
    ],
    [
      {
        ...branch('h', [leaf('TLeafElement', 'h')]),
        _typename: 'TBranchElement',
        fClassName: 'vector<vector<double> >',
        fType: 0,
        fStreamerType: -1
      },
      'var * var * float64'
    ]
  ];
  for (const [b, type] of cases) expect(layoutTypeName(branchLayout(b))).toBe(type);
});

test('refused layouts say what they hold', () => {
  const refusals: [object, RegExp][] = [
    [branch('ll', [leaf('TLeafI', 'x'), leaf('TLeafF', 'y')]), /leaf list of 2 leaves/],
    [branch('f16', [leaf('TLeafF16', 'f16')]), /TLeafF16/],
    [branch('d32', [leaf('TLeafD32', 'd32')]), /TLeafD32/],
    [branch('bad', [leaf('TLeafI', 'bad[3]', { fLen: 4 })]), /fLen 4/],
    [
      {
        ...branch('obj', [leaf('TLeafElement', 'obj')]),
        _typename: 'TBranchElement',
        fClassName: 'TLorentzVector',
        fType: 0,
        fStreamerType: -1
      },
      /class TLorentzVector/
    ],
    [
      {
        ...branch('vs', [leaf('TLeafElement', 'vs')]),
        _typename: 'TBranchElement',
        fClassName: 'vector<string>',
        fType: 0,
        fStreamerType: -1
      },
      /vector<string>/
    ],
    [
      {
        ...branch('split', [leaf('TLeafElement', 'split')]),
        fBranches: { arr: [branch('split.x', [leaf('TLeafD', 'x')])] }
      },
      /split object/
    ]
  ];
  for (const [b, why] of refusals) {
    const layout = branchLayout(b);
    expect(layout.kind).toBe('unsupported');
    expect(layout.kind === 'unsupported' && layout.reason).toMatch(why);
  }
});

test('reading a refused branch raises E_UNSUPPORTED naming it; missing baskets too', async () => {
  const source = {
    name: 'fake.root',
    size: async () => 1000,
    read: async () => {
      throw new Error('no basket should be read');
    },
    close: async () => undefined
  };
  const tree = new ROOTTree(source, 'events', {
    fEntries: 10,
    fBranches: {
      arr: [
        branch('f16', [leaf('TLeafF16', 'f16')]),
        // baskets cover 6 of 10 entries and nothing is kept in the tree
        branch('short', [leaf('TLeafD', 'short')], { fBasketEntry: [0, 6] })
      ]
    }
  });
  expect(tree.branches.map(b => [b.name, b.type])).toEqual([
    ['f16', 'unsupported'],
    ['short', 'unsupported']
  ]);
  for (const name of ['f16', 'short']) {
    const err = await tree.read([name]).catch(e => e);
    expect(err).toBeInstanceOf(OpenDataError);
    expect(err.code).toBe('E_UNSUPPORTED');
    expect(err.message).toContain(`fake.root: tree events, branch ${name}`);
  }
  await expect(tree.read(['nope'])).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
});
